// Command orderdrop turns spreadsheets of telecom orders into carrier orders,
// exactly once. See `orderdrop --help` and the README.
package main

import (
	"context"
	"os"

	"github.com/orderdrop/orderdrop/internal/cli"
)

func main() {
	tuneMemory()
	stop := startProfile()
	code := cli.Main(context.Background(), os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
