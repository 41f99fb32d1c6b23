module github.com/credence-dev/credence

go 1.26
