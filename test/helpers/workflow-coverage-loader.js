// Webpack loader of the instrumented test workflow bundle (see workflow-coverage.ts). Plain JavaScript
// because webpack loads it with Node's own require.
//
// Instruments the output of swc with istanbul's program visitor (what istanbul-lib-instrument and
// babel-plugin-istanbul run), mapped back to the TypeScript source through swc's source map, and
// hands the static coverage data of the file (statement, function and branch maps, source map) to
// `options.onFile`. The code itself only carries the counters: the workflow sandbox evaluates every
// module again for each workflow, and building the full coverage data each time would slow every
// workflow down.
'use strict';
const { dirname } = require('node:path');
const { programVisitor } = require('istanbul-lib-instrument');

// The babel and option defaults istanbul-lib-instrument itself uses.
const fromIstanbul = (id) => require(require.resolve(id, { paths: [dirname(require.resolve('istanbul-lib-instrument'))] }));
const { transformSync } = fromIstanbul('@babel/core');
const { defaults } = fromIstanbul('@istanbuljs/schema');
const opts = defaults.instrumenter;

/** @type {import('webpack').LoaderDefinitionFunction<{ onFile(path: string, data: object): void }>} */
module.exports = function instrumentWorkflowCode(source, sourceMap) {
  const { onFile } = this.getOptions();
  const filename = this.resourcePath;
  const inputSourceMap = typeof sourceMap === 'string' ? JSON.parse(sourceMap) : sourceMap || undefined;
  let fileCoverage;
  const instrument = ({ types: t }) => {
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
            // The function the visitor put first; keep only the counters in its `coverageData`.
            const init = path.get('body.0').get('body.body').find((s) => s.isVariableDeclaration() && s.node.declarations[0].id.name === 'coverageData');
            const { s, f, b } = fileCoverage;
            init.get('declarations.0.init').replaceWith(
              t.objectExpression([
                t.objectProperty(t.identifier('path'), t.identifier('path')),
                t.objectProperty(t.identifier('hash'), t.identifier('hash')),
                t.objectProperty(t.identifier('s'), t.valueToNode(s)),
                t.objectProperty(t.identifier('f'), t.valueToNode(f)),
                t.objectProperty(t.identifier('b'), t.valueToNode(b)),
              ]),
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
