/**
 * Architecture rules checked by `npm run lint`: no import cycles, core never
 * imports a concrete plugin (the registry is the one composition root), and
 * plugins reach core only through its public API files.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'Import cycles make load order matter and hide layering mistakes.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-type-cycles',
      severity: 'error',
      comment: 'Even type-only cycles blur which module owns a concept.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-imports-no-plugin',
      severity: 'error',
      comment: 'Only harness/registry/registry.ts may import plugins/: it is the one composition root.',
      from: { path: '^harness/', pathNot: '^harness/registry/registry\\.ts$' },
      to: { path: '^plugins/' },
    },
    {
      name: 'plugins-use-public-api',
      severity: 'error',
      comment: 'A plugin reaches core only through harness/plugin-api.ts (and the type-only contract files it re-exports).',
      from: { path: '^plugins/' },
      to: { path: '^harness/', pathNot: '^harness/(plugin-api|api/.*|registry/plugin-index)\\.ts$' },
    },
    {
      name: 'no-test-imports',
      severity: 'error',
      from: { path: '^(harness|plugins)/' },
      to: { path: '^(test|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
