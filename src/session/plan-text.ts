/**
 * EXPLAIN's text format as a tree, and back: each node's line, its property lines and its
 * children (an InitPlan or SubPlan child under its label). PostgreSQL writes a node's properties
 * before its children, 6 columns right of its arrow (2 for the top node); a label sits where a child's
 * arrow would and its node's arrow 2 further. Lines after the tree (Planning, Execution Time, JIT)
 * are kept as they are.
 */
export interface PlanNode {
  /** The node's line without its indentation and arrow: `Seq Scan on requests  (cost=…)`. */
  head: string;
  /** Property lines, relative to the node's property column (deeper lines keep their extra indentation). */
  props: string[];
  children: PlanChild[];
}

export interface PlanChild {
  node: PlanNode;
  /** `InitPlan 1`, `SubPlan 2`, `CTE c`: the line above the child's arrow. */
  label?: string;
}

export interface PlanText {
  root: PlanNode;
  /** The lines after the tree. */
  trailer: string[];
}

const ARROW = '->  ';
const indentOf = (line: string) => line.length - line.trimStart().length;
const isArrowAt = (line: string | undefined, col: number) => line !== undefined && indentOf(line) === col && line.startsWith(ARROW, col);

/** The tree of a text EXPLAIN's rows; undefined for text it does not read as one. */
export function parsePlanText(lines: readonly string[]): PlanText | undefined {
  if (lines.length === 0 || indentOf(lines[0]!) !== 0 || lines[0]!.startsWith(ARROW)) return undefined;
  let i = 1;
  const body = (node: PlanNode, col: number): boolean => {
    while (i < lines.length) {
      const line = lines[i]!;
      const at = indentOf(line);
      if (line.trim() === '' || at < col) return true;
      if (isArrowAt(line, col)) {
        const child: PlanNode = { head: line.slice(col + ARROW.length), props: [], children: [] };
        node.children.push({ node: child });
        i++;
        if (!body(child, col + 6)) return false;
      } else if (at === col && isArrowAt(lines[i + 1], col + 2)) {
        const child: PlanNode = { head: lines[i + 1]!.slice(col + 2 + ARROW.length), props: [], children: [] };
        node.children.push({ node: child, label: line.slice(col) });
        i += 2;
        if (!body(child, col + 8)) return false;
      } else if (node.children.length === 0 && (at === col || node.props.length > 0)) {
        node.props.push(line.slice(col));
        i++;
      } else return false; // a property after a child, or a stray deeper line: not a shape this reads
    }
    return true;
  };
  const root: PlanNode = { head: lines[0]!, props: [], children: [] };
  if (!body(root, 2)) return undefined;
  return { root, trailer: lines.slice(i) };
}

/** The rows of a tree, as PostgreSQL writes them. */
export function renderPlanText(plan: PlanText): string[] {
  const out = [plan.root.head];
  const body = (node: PlanNode, col: number) => {
    const pad = ' '.repeat(col);
    for (const p of node.props) out.push(pad + p);
    for (const c of node.children) {
      if (c.label !== undefined) {
        out.push(pad + c.label, `${pad}  ${ARROW}${c.node.head}`);
        body(c.node, col + 8);
      } else {
        out.push(pad + ARROW + c.node.head);
        body(c.node, col + 6);
      }
    }
  };
  body(plan.root, 2);
  return [...out, ...plan.trailer];
}
