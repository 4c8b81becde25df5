# Normalized inputs for multivariate linear regression (lab 7-1, "tips").
# Deep Learning for Everyone, PyTorch lab 7-1, its data preprocessing part:
# three quiz scores predict the final exam's, and each score column is
# standardized with the training set's mean and standard deviation before
# nn.Linear(3, 1), mu = x_train.mean(dim=0), sigma = x_train.std(dim=0)
# (unbiased, as torch.std), norm_x_train = (x_train - mu) / sigma; MSE and
# SGD lr 1e-1 for 20 epochs, the cost every epoch.  Shows mean and std along
# a dimension, broadcast against the rows.  The batch is the whole training
# set, so mu and sigma are the training set's, as in the lesson.  (The
# notebook builds other models before this one; here the regression is the
# first thing seed 1 draws.)
seed 1

input x: f32[N, 3]
input y: f32[N, 1]

layer fc = linear(3, 1)

let mu = mean(x, dim = 0)
let sigma = std(x, dim = 0)
let norm_x = (x - mu) / sigma
let prediction = fc(norm_x)
let cost = mse_loss(prediction, y)

train {
  loss = cost
  data = inline(x = [[73, 80, 75], [93, 88, 93], [89, 91, 90], [96, 98, 100], [73, 66, 70]],
                y = [[152], [185], [180], [196], [142]])
  optimizer = sgd(lr = 1e-1)
  epochs = 20
  log_every = 1
}
