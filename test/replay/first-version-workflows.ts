// The workflow as the first version registered it: what workers ran before the lifecycle model.
export { legacyReviewWorkflow as reviewWorkflow } from '../../workflows/legacy/review-v1';
