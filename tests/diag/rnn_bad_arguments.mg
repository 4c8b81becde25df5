# A recurrent layer's arguments: the nonlinearity is "tanh" or "relu", and
# there is at least one layer.  Each declaration is reported on its own.
layer a = rnn(5, 8, nonlinearity = "sigmoid")
layer b = rnn(5, 8, layers = 0)
layer c = rnn(5, 0)
layer d = rnn(5, 8, nonlinearity = tanh)
