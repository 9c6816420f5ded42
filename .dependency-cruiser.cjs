/* global module -- dependency-cruiser reads this file as CommonJS */
// The layers of ARCHITECTURE.md, checked by `npm run lint` (dependency-cruiser):
//
//   events  <-  journeys, policy  <-  engine  <-  adapters (kafka, store-redis, observability)  <-  services
//
// An arrow points at what a layer may import; nothing imports upwards. kafkajs and ioredis are imported by
// the adapters alone (packages/kafka, packages/store-redis) and by the test and infrastructure support
// (packages/testing, infra); everything else gets clients and types from the adapters. Tests may also
// import @tactful/testing. A known exception is listed in KNOWN_EXCEPTIONS with the reason it stays; any
// other import that crosses a layer fails the lint.

const ADAPTERS = '^packages/(kafka|store-redis|observability|runtime)/';
const SERVICES = '^services/';
const TESTS = '(\\.test\\.ts$|/test-kit\\.ts$|/test-stack\\.ts$)';
const CLIENT_LIBRARIES = '(^|/)node_modules/(kafkajs|ioredis)/';

// Files that import kafkajs or ioredis outside the adapters, each with the reason it is allowed to.
const KNOWN_EXCEPTIONS = [
  // The publisher SDK for upstream teams: one package to install (CONTRACT.md), a separate entry
  // (`@tactful/events/publisher`) so that importing the schemas never loads a Kafka client.
  '^packages/events/src/publisher\\.ts$',
];

/** One rule: an import from `from` to `to` fails the lint, with `comment` as the reason. */
function forbid(name, comment, from, to) {
  return { name, comment, severity: 'error', from, to };
}

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    forbid(
      'events-imports-no-layer',
      'events is the bottom layer: the wire shapes everything else reads. It imports no package of the project.',
      { path: '^packages/events/', pathNot: TESTS },
      { path: '^(packages/(?!events/)|services/|infra/)' },
    ),
    forbid(
      'journeys-policy-import-events-only',
      'journeys and policy are pure and side by side: they import events and nothing else of the project.',
      { path: '^packages/(journeys|policy)/', pathNot: TESTS },
      { path: '^(packages/(?!events/|journeys/|policy/)|services/|infra/)' },
    ),
    forbid(
      'journeys-policy-independent',
      'journeys and policy do not know each other; the engine brings them together.',
      { path: '^packages/(journeys|policy)/' },
      { path: '^packages/(journeys|policy)/', pathNot: '^packages/$1/' },
    ),
    forbid(
      'engine-imports-pure-only',
      'the engine is a pure function of journeys and policy: no adapter, no service.',
      { path: '^packages/engine/', pathNot: TESTS },
      { path: '^(packages/(kafka|store-redis|observability|testing)/|services/|infra/)' },
    ),
    forbid(
      'adapters-import-no-service',
      'adapters carry out I/O for the services; they never import one, nor the test support outside tests.',
      { path: ADAPTERS, pathNot: TESTS },
      { path: '^(services/|packages/testing/)' },
    ),
    forbid(
      'packages-import-no-service',
      'services are the top layer: no package imports one.',
      { path: '^packages/' },
      { path: SERVICES },
    ),
    forbid(
      'client-libraries-only-in-adapters',
      'kafkajs and ioredis only in packages/kafka, packages/store-redis, packages/testing, infra and the fault ' +
        'suite (which reads topics and counts offsets as an outside observer); services, commands and ' +
        'benchmarks get clients, types and the few values they need (Partitioners) from the adapters.',
      { pathNot: ['^packages/(kafka|store-redis|testing)/', '^infra/', '^faults/', ...KNOWN_EXCEPTIONS] },
      { path: CLIENT_LIBRARIES },
    ),
    forbid(
      'no-cycles-across-packages',
      'modules of two packages that import each other cannot be built or understood apart.',
      { path: '^(packages|services)/([^/]+)/' },
      { circular: true, path: '^(packages|services)/(?!$2/)' },
    ),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(packages|services)/[^/]+/dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // The workspaces resolve to their TypeScript sources, as vitest and tsc see them.
    enhancedResolveOptions: {
      conditionNames: ['tactful-source', 'import', 'require', 'node', 'default'],
      exportsFields: ['exports'],
      mainFields: ['module', 'main', 'types'],
    },
  },
};
