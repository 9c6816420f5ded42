/**
 * The one shape of "a value, or why not": every hand-written parser and reader of the project answers
 * with it, so a caller narrows on `ok` and finds the value under `value` and the problems under `error`,
 * whoever wrote the function. zod's `safeParse` keeps its own `{ success, data, error }`.
 */
export type Ok<T> = { readonly ok: true; readonly value: T };
export type Err<E> = { readonly ok: false; readonly error: E };
export type Result<T, E> = Ok<T> | Err<E>;

/** Pure. The value, as a success. */
export function ok<T>(value: T): Ok<T> {
  return { ok: true, value };
}

/** Pure. What went wrong (one problem, or a list of them), as a failure. */
export function err<E>(error: E): Err<E> {
  return { ok: false, error };
}
