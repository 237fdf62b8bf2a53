module example.com/sluice-client

go 1.19

require github.com/linkedin/goavro/v2 v2.10.1
