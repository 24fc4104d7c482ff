package cli

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

func newManCommand(g *globalOptions) *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:   "man",
		Short: "Write the man pages (orderdrop.1, orderdrop-run.1, …) into a folder",
		Long: `man writes one man page per command into --dir (default "man"), for
packaging: install them under /usr/share/man/man1 (make man does this into
dist/man).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return fatal(fmt.Errorf("create %s: %w", dir, err))
			}
			root := cmd.Root()
			root.DisableAutoGenTag = true // reproducible pages: no generation date
			hdr := &doc.GenManHeader{Title: "ORDERDROP", Section: "1", Source: "orderdrop " + Version(), Manual: "orderdrop manual"}
			if err := doc.GenManTree(root, hdr, dir); err != nil {
				return fatal(fmt.Errorf("write man pages to %s: %w", dir, err))
			}
			fmt.Fprintf(g.stdout, "man pages written to %s\n", dir)
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "dir", "man", "folder to write the pages into")
	return cmd
}
