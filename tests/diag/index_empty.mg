# An index needs at least one subscript: x[] is a syntax error.
input x: f32[N, 3]
let a = x[]
