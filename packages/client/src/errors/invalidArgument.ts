/** A `TypeError` for caller mistakes, quoting the option's name (`code: "ERR_INVALID_ARG_VALUE"`). */
export function invalidArgument(message: string): TypeError & { code: "ERR_INVALID_ARG_VALUE" } {
  const error = new TypeError(message) as TypeError & { code: "ERR_INVALID_ARG_VALUE" };
  error.code = "ERR_INVALID_ARG_VALUE";
  return error;
}
