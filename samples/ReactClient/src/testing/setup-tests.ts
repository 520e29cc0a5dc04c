import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// findBy…/waitFor wait up to 10 s (the default is 1 s): a guard on a hang; a loaded machine renders slowly.
configure({ asyncUtilTimeout: 10_000 });

afterEach(() => {
  cleanup();
});
