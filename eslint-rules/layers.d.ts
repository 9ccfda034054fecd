// Types for importing the plugin from TypeScript (test/lint/).
import type { ESLint, Rule } from 'eslint';

declare const plugin: ESLint.Plugin & { rules: { layers: Rule.RuleModule } };
export default plugin;
