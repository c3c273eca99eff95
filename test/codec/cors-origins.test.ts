import { parseCorsOrigins } from '../../src/codec/main';

describe('REVIEW_CODEC_CORS_ORIGINS', () => {
  it('lists origins, comma-separated', () => {
    expect(parseCorsOrigins(' https://temporal.example.com , http://localhost:8233,')).toEqual(['https://temporal.example.com', 'http://localhost:8233']);
  });

  it.each(['*', 'https://temporal.example.com/', 'https://temporal.example.com/ui', 'not a url', 'ftp://files.example.com'])('refuses %j, saying how to write an origin', (value) => {
    expect(() => parseCorsOrigins(value)).toThrow(`REVIEW_CODEC_CORS_ORIGINS: '${value}' is not an origin; list the Web UIs' origins as scheme://host[:port]`);
  });
});
