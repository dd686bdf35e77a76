import { describe } from 'vitest';
import { requireTool, type Tool, type ToolName } from '../../helpers/require-tool.ts';

/** `describe` that runs only when every tool is there, and otherwise says in its title why it was skipped. */
export function describeWithTools(names: ToolName[], title: string, fn: (tools: Record<ToolName, Tool>) => void): void {
  const tools = Object.fromEntries(names.map((n) => [n, requireTool(n)])) as Record<ToolName, Tool>;
  const missing = names.map((n) => tools[n]).filter((t) => !t.available);
  if (missing.length === 0) {
    describe(title, () => fn(tools));
    return;
  }
  const why = missing.map((t) => t.reason).join('; ');
  console.warn(`[skipped] ${title}: ${why}`);
  describe.skip(`${title} (skipped: ${why})`, () => fn(tools));
}
