// @tributary/client: the program's instructions, accounts, types, errors and PDAs generated
// from its IDL with Codama (`./generated`), and a thin layer: the pool's addresses, readers,
// the rate and quotes (to the lamport the program's), builders that fill in the accounts the
// program fixes, event decoding, and sending.
export * from './generated';
export * from './addresses';
export * from './builders';
export * from './events';
export * from './quote';
export * from './readers';
export * from './send';
