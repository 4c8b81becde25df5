# batch_norm1d takes [N, C] and batch_norm2d [N, C, H, W]; each is given
# the other's.
input x: f32[N, 3, 2, 2]
input v: f32[N, 3]
layer bn1 = batch_norm1d(3)
layer bn2 = batch_norm2d(3)
let a = bn1(x)
let b = bn2(v)
let cost = mean(a) + mean(b)
