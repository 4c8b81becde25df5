# A tensor literal whose ']' is missing at the end of the file.
let a = [[1, 2], [3, 4]
