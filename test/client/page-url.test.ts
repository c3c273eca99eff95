import { reviewGraphUrl, reviewPageUrl, reviewUiBase } from '../../src/client/page-url';
import { pageLink } from '../../workflows/details';

describe('the review page link', () => {
  test('${REVIEW_UI_BASE_URL}/reviews/<id>, the id encoded, the base written without trailing slashes', () => {
    expect(reviewPageUrl('pr-review-1', 'https://reviews.example.com/')).toBe('https://reviews.example.com/reviews/pr-review-1');
    expect(reviewPageUrl('acme/app#7', 'http://localhost:8080/ui')).toBe('http://localhost:8080/ui/reviews/acme%2Fapp%237');
    expect(reviewGraphUrl('r 1', 'https://reviews.example.com')).toBe('https://reviews.example.com/reviews/r%201/graph.svg');
  });

  test('unset or not an http(s) URL: no link', () => {
    for (const base of ['', '  ', 'reviews.example.com', 'ftp://x', 'javascript:alert(1)', 'https://x/?q=1']) expect(reviewUiBase(base)).toBeUndefined();
  });

  test('read from REVIEW_UI_BASE_URL by default', () => {
    const before = process.env.REVIEW_UI_BASE_URL;
    try {
      process.env.REVIEW_UI_BASE_URL = 'https://reviews.example.com';
      expect(reviewPageUrl('r')).toBe('https://reviews.example.com/reviews/r');
      delete process.env.REVIEW_UI_BASE_URL;
      expect(reviewPageUrl('r')).toBeUndefined();
    } finally {
      if (before === undefined) delete process.env.REVIEW_UI_BASE_URL;
      else process.env.REVIEW_UI_BASE_URL = before;
    }
  });

  test('in the Web UI details only as an http(s) link that markdown cannot break out of', () => {
    expect(pageLink('https://reviews.example.com/reviews/r')).toBe('[Open the review page](https://reviews.example.com/reviews/r)');
    expect(pageLink('https://x/reviews/a)![x](https://evil')).toBe('[Open the review page](https://x/reviews/a%29!%5Bx%5D%28https://evil)');
    expect(pageLink('javascript:alert(1)')).toBeUndefined();
    expect(pageLink('https://x/a b')).toBeUndefined();
    expect(pageLink(undefined)).toBeUndefined();
  });
});
