// Webpack loader of the instrumented test workflow bundle (see workflow-coverage.ts). Plain JavaScript
// because webpack loads it with Node's own require.
//
// Instruments the output of swc with istanbul's program visitor (what istanbul-lib-instrument and
// babel-plugin-istanbul run), mapped back to the TypeScript source through swc's source map, and
// hands the static coverage data of the file (statement, function and branch maps, source map) to
// `options.onFile`. The code itself only carries the counters: modules a worker does not share are
// evaluated again for each workflow, and building the full coverage data each time would slow every
// workflow down.
'use strict';
const { dirname } = require('node:path');
const { programVisitor } = require('istanbul-lib-instrument');

// The babel and option defaults istanbul-lib-instrument itself uses.
const fromIstanbul = (id) => require(require.resolve(id, { paths: [dirname(require.resolve('istanbul-lib-instrument'))] }));
const { transformSync } = fromIstanbul('@babel/core');
const { defaults } = fromIstanbul('@istanbuljs/schema');
const opts = defaults.instrumenter;
/** The global Map (instrumented file → its counters) that workflow-coverage-interceptors.ts reads. */
const STORE = '__workflowCoverage__';

/** @type {import('webpack').LoaderDefinitionFunction<{ onFile(path: string, data: object): void }>} */
module.exports = function instrumentWorkflowCode(source, sourceMap) {
  const { onFile } = this.getOptions();
  const filename = this.resourcePath;
  const inputSourceMap = typeof sourceMap === 'string' ? JSON.parse(sourceMap) : sourceMap || undefined;
  let fileCoverage;
  const instrument = ({ types: t, template }) => {
    const visitor = programVisitor(t, filename, {
      coverageVariable: opts.coverageVariable,
      coverageGlobalScope: opts.coverageGlobalScope,
      coverageGlobalScopeFunc: opts.coverageGlobalScopeFunc,
      reportLogic: false,
      ignoreClassMethods: [],
      inputSourceMap,
    });
    return {
      visitor: {
        Program: {
          enter: visitor.enter,
          exit(path) {
            const output = visitor.exit(path);
            if (!output || !output.fileCoverage) return;
            fileCoverage = output.fileCoverage;
            // The function the visitor put first returns the file's counters; it is replaced by one that keeps
            // only the counters, in a Map on the sandbox's global (STORE). A worker shares the
            // review modules among its workflows and freezes what they leave on the global when loaded; a
            // frozen Map still takes entries, and the counters in it stay writable.
            const counters = path.get('body.0');
            const name = counters.node.id.name;
            const { s, f, b } = fileCoverage;
            const zeros = (counts) => `{${Object.keys(counts).map((id) => `${JSON.stringify(id)}: 0`).join(', ')}}`;
            const arms = `{${Object.entries(b).map(([id, list]) => `${JSON.stringify(id)}: [${list.map(() => '0').join(', ')}]`).join(', ')}}`;
            counters.replaceWith(
              template.statement.ast(`
                function ${name}() {
                  const store = globalThis.${STORE} || (globalThis.${STORE} = new Map());
                  let data = store.get(${JSON.stringify(filename)});
                  if (!data) store.set(${JSON.stringify(filename)}, (data = { s: ${zeros(s)}, f: ${zeros(f)}, b: ${arms} }));
                  ${name} = () => data;
                  return data;
                }
              `),
            );
          },
        },
      },
    };
  };
  let result;
  try {
    result = transformSync(source, {
      configFile: false,
      babelrc: false,
      filename,
      inputSourceMap,
      sourceMaps: true,
      compact: opts.compact,
      comments: opts.preserveComments,
      parserOpts: { sourceType: 'module', plugins: opts.parserPlugins },
      plugins: [instrument],
    });
  } catch (err) {
    this.callback(err);
    return;
  }
  if (!fileCoverage) {
    // An ignored file (`istanbul ignore file`): leave it as it is.
    this.callback(null, source, sourceMap);
    return;
  }
  onFile(filename, fileCoverage);
  this.callback(null, result.code, result.map ?? undefined);
};
