/** Element types. float32 is the working type everywhere; float64 exists on the CPU backend as the numerical reference (gradient checks, golden comparisons). */
export type DType = 'float32' | 'float64';
export type TypedArray = Float32Array | Float64Array;

export const arrayFor = (dtype: DType, n: number): TypedArray => (dtype === 'float64' ? new Float64Array(n) : new Float32Array(n));
export const dtypeOf = (a: TypedArray): DType => (a instanceof Float64Array ? 'float64' : 'float32');
