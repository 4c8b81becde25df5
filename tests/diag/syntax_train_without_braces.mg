# A train block without its braces.
input x: f32[N, 1]
train loss = x
