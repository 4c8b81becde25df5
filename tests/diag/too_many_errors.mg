# More than 20 errors: the first 20 are reported, then mgc says it stops.
seed 1
input x: f32[N, 2]
input y: f32[N, 1]
param W: f32[2, 1] = zeros
let v1 = x @ U1
let v2 = x @ U2
let v3 = x @ U3
let v4 = x @ U4
let v5 = x @ U5
let v6 = x @ U6
let v7 = x @ U7
let v8 = x @ U8
let v9 = x @ U9
let v10 = x @ U10
let v11 = x @ U11
let v12 = x @ U12
let v13 = x @ U13
let v14 = x @ U14
let v15 = x @ U15
let v16 = x @ U16
let v17 = x @ U17
let v18 = x @ U18
let v19 = x @ U19
let v20 = x @ U20
let v21 = x @ U21
let v22 = x @ U22
let v23 = x @ U23
let v24 = x @ U24
let v25 = x @ U25
let cost = mean((x @ W - y) ** 2)
train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3]], y = [[0], [1]])
  optimizer = sgd(lr = 1)
  epochs = 10
}
