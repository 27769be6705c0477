/**
 * The base of every error Yardstick throws on purpose. Each module declares its own subclasses (so a
 * caller can tell a catalog mistake from a store refusal by `instanceof`), and every one of them
 * carries its class name as `name`, which is what logs and the ops view show.
 *
 * @example
 * ```ts
 * export class CatalogError extends YardstickError {}
 * throw new CatalogError('catalog.json: workflows[2].id is not unique');
 * ```
 */
export class YardstickError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}
