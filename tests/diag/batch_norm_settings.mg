# Batch norm's settings out of range: eps is added to the variance (it must
# be positive) and momentum weighs the batch in the running statistics
# ([0, 1]); a layer needs at least one channel.  Every error is reported.
input x: f32[N, 3]
layer bn = batch_norm1d(3, eps = 0, momentum = 1.5)
layer bn0 = batch_norm1d(0)
layer bn_neg = batch_norm2d(3, eps = -1e-5)
layer bn_int = batch_norm2d(2.5)
