/** Signed deliveries as GitHub makes them: shared with the demo, which needs them at run time. */
export { deliver, encodeBody, type Delivered, type Encoding } from '../../src/demo/github-deliveries';
