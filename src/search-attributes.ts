/** Custom search attributes every review sets; registered on the dev server at start. */
export const SEARCH_ATTRIBUTES = {
  ReviewStatus: 'Keyword',
  ReviewPipeline: 'Keyword',
  ReviewPriority: 'Keyword',
  ReviewSubject: 'Keyword',
  ReviewTenant: 'Keyword',
} as const;
