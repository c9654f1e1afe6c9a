module gocurrent

go 1.19
