/**
 * V8 keeps an object shape (hidden class) only while some object has it. When a full garbage
 * collection finds no object of a shape left, the shape dies, and with it the optimized code
 * compiled for it: a program that runs a `map`, lets everything of it go, and runs another one
 * would run the hot path unoptimized again after every major collection, while it is compiled
 * anew on a background thread (measured on a 2-core machine: half again as much CPU per
 * 50,000-item map; see bench/README.md). One inert instance of each class of a hot path, kept
 * for the life of the program, keeps the shapes and so the compiled code.
 */
const kept: object[] = [];

/** Keeps `instance`, an inert instance of a hot-path class, for the life of the program (see the module comment). */
export function keepShape<T extends object>(instance: T): T {
  kept.push(instance);
  return instance;
}
