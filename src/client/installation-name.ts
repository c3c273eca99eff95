/** The rule for a task queue prefix or Worker Deployment name: the one the workers' REVIEW_TASK_QUEUE_PREFIX and REVIEW_DEPLOYMENT_NAME follow. */
export const INSTALLATION_NAME = /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/;

export const INSTALLATION_NAME_RULE = 'it may hold letters, digits, . _ and -, starting with a letter or digit (e.g. review)';
