# The generated convolution reads as the product kernels do: under the
# .mg line, a comment with the formula and the shapes, the shape struct as
# a designated initializer, and one libmgrt call with its scratch (FileCheck
# on the C, inspect.conv_comment).  Its gradients likewise, and the
# scratch is sized in model_reserve, not in the step.
# MGC-ARGS: --emit=c
# CHECK-LABEL: static int model_reserve(
# CHECK: const mgrt_conv2d_shape s = {.n = rows, .c_in = 3, .h = 9, .w = 7, .c_out = 4, .kh = 3, .kw = 2,
# CHECK-NEXT: .stride_h = 2, .stride_w = 1, .pad_h = 1, .pad_w = 0};
# CHECK: conv_scratch = mgrt_conv2d_scratch_elems(&s);
# CHECK: m->conv_scratch = (float *)at;
# CHECK-LABEL: static void forward(
# CHECK: line {{[0-9]+}}: let h = tanh(conv(x))
# CHECK: /* y[n,o,r,q] = b[o] + sum_{c,a,b} W[o,c,a,b] x[n,c,r*s-p+a,q*s-p+b]  (x is 0 outside its image)
# CHECK-NEXT: x [N, 3, 9, 7], W [4, 3, 3, 2], b [4] -> y [N, 4, 5, 6],
# CHECK-NEXT: kernel 3x2, stride s = 2 along r and 1 along q, padding p = 1 and 0 */
# CHECK-NEXT: const mgrt_conv2d_shape s = {.n = m->N, .c_in = 3, .h = 9, .w = 7,
# CHECK-NEXT: .c_out = 4, .kh = 3, .kw = 2,
# CHECK-NEXT: .stride_h = 2, .stride_w = 1, .pad_h = 1, .pad_w = 0};
# CHECK-NEXT: if (mgrt_conv2d_forward(
# CHECK-NEXT: &s, /* s */
# CHECK-NEXT: m->{{[a-z0-9_]+}}, /* y */
# CHECK-NEXT: m->x, /* x */
# CHECK-NEXT: m->conv_weight, /* weight */
# CHECK-NEXT: m->conv_bias, /* bias */
# CHECK-NEXT: m->conv_scratch, /* scratch */
# CHECK-NEXT: m->conv_scratch_elems) != 0) /* scratch_elems */
# CHECK: line {{[0-9]+}}: let p = avg_pool2d(h, 2, padding = 1)
# CHECK: /* y[n,c,r,q] = sum_{a,b} x[n,c,r*s-p+a,q*s-p+b] / 4  (0 outside the image,
# CHECK: const mgrt_pool2d_shape s = {.n = m->N, .c = 4, .h = 5, .w = 6, .kh = 2, .kw = 2,
# CHECK-NEXT: .stride_h = 2, .stride_w = 2, .pad_h = 1, .pad_w = 1};
# CHECK-NEXT: if (mgrt_avg_pool2d_forward(&s, m->p, m->h) != 0)
# CHECK-LABEL: static void backward(
# CHECK: avg_pool2d_grad (backward)
# CHECK: if (mgrt_avg_pool2d_backward(&s,
# CHECK: conv2d_grad_weight (backward)
# CHECK: /* dW[o,c,a,b] = sum_{n,r,q} dy[n,o,r,q] x[n,c,r*s-p+a,q*s-p+b]
# CHECK: if (mgrt_conv2d_backward_weight(
# CHECK: conv2d_grad_bias (backward)
# CHECK: /* db[o] = sum_{n,r,q} dy[n,o,r,q]  (dy [N, 4, 5, 6] -> db [4]) */
seed 1
input x: f32[N, 3, 9, 7]
layer conv = conv2d(3, 4, [3, 2], stride = [2, 1], padding = [1, 0])
let h = tanh(conv(x))
let p = avg_pool2d(h, 2, padding = 1)
let cost = mean(p * p)

train {
  loss = cost
  data = idx(x = "images.idx")
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
