import {
  type KyselyPlugin,
  OperationNodeTransformer,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type PrimitiveValueListNode,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
  type ValueNode,
} from "kysely";

/*
 * PostgreSQL can store no NUL character in text or jsonb: a parameter holding one fails the
 * whole statement ("invalid byte sequence for encoding UTF8: 0x00"), which a form would show
 * as a 500. A NUL is never meaningful in what people type, so every string parameter has
 * them removed here, once, on both engines, instead of in every schema. (The API refuses
 * them with a problem document before this point, naming the field.)
 */

export function withoutNul(value: unknown): unknown {
  if (typeof value === "string") return value.includes("\u0000") ? value.replaceAll("\u0000", "") : value;
  if (Array.isArray(value)) return value.map(withoutNul);
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [withoutNul(k) as string, withoutNul(v)]),
    );
  }
  return value;
}

class NulRemover extends OperationNodeTransformer {
  protected override transformValue(node: ValueNode): ValueNode {
    const value = withoutNul(node.value);
    return value === node.value ? node : { ...node, value };
  }

  protected override transformPrimitiveValueList(node: PrimitiveValueListNode): PrimitiveValueListNode {
    return { ...node, values: node.values.map(withoutNul) };
  }
}

export class TextParametersPlugin implements KyselyPlugin {
  readonly #remover = new NulRemover();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.#remover.transformNode(args.node);
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}
