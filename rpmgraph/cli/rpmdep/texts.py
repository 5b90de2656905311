"""rpmdep's texts: -help, -man and its usage line, as rpmorphan's Pod::Usage printed them."""

RPMDEP_VERSION = "0.5"
ROOT_VARIABLE = "RPMGRAPH_RPMDEP_ROOT"
DBPATH_VARIABLE = "RPMGRAPH_RPMDEP_DBPATH"
MAX_STATUS = 255


SYNOPSIS = """\
Usage:
    rpmdep [options] package

     options:
       -help                brief help message
       -man                 full documentation
       -V, --version        print version
       -use-cache           use rpmgraph's cache (-nouse-cache: do not)
       -clear-cache         clear rpmgraph's metadata cache

       -verbose             verbose
       -dot dotfile         build a dot file for graphviz

       --root DIR           read the rpm database under DIR (rpmgraph extension)
       --dbpath DIR         rpm database path, inside --root (rpmgraph extension)

"""

HELP = SYNOPSIS + """\
Required arguments:
    the name of the installed package to resolve

"""

MAN = """\
NAME
    rpmdep - display the full dependency of an installed rpm package

DESCRIPTION
    rpmdep searches recursively for the dependencies of an installed package and
    resolves them to package names. It can also write a dot file for Graphviz.
    This rpmdep is rpmgraph's: every Requires (versioned, rich, file dependencies) is
    resolved to every installed package that provides it, as rpm resolves it.

""" + HELP + f"""\
USAGE
    rpmdep -dot bash.dot bash
    dot -Tsvg bash.dot -o bash.svg

ENVIRONMENT
    {ROOT_VARIABLE}, {DBPATH_VARIABLE}
        defaults of --root and --dbpath

EXIT STATUS
    the number of dependencies nothing installed provides (0 if all is ok, at most
    {MAX_STATUS}); 1 if the package is not installed; 2 for bad usage or an unreadable
    rpm database

SEE ALSO
    rpmgraph(1), rpm(8), dot(1)
"""
