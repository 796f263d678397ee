module server-filings.local/vcsim

go 1.26

require github.com/vmware/govmomi v0.54.1

require (
	github.com/google/uuid v1.6.0 // indirect
	golang.org/x/text v0.34.0 // indirect
)
