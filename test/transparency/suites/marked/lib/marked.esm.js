// Not from marked: the vendored tests import '../../lib/marked.esm.js' (marked's build output in
// its repository); this re-exports the installed package, so the tests run unmodified against it.
export * from 'marked';
