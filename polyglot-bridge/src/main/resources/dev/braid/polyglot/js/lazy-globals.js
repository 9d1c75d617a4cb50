// Globals made on first use: each name is an accessor until then, whose first read (or
// typeof) runs install(), which defines the real globals in their place. Assigning one
// first replaces it, as assigning a plain global would.
(names, install) => {
  'use strict';
  for (const name of names) {
    Object.defineProperty(globalThis, name, {
      configurable: true,
      enumerable: false,
      get() {
        install();
        const d = Object.getOwnPropertyDescriptor(globalThis, name);
        return d !== undefined && 'value' in d ? d.value : undefined;
      },
      set(value) {
        Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
      },
    });
  }
}
