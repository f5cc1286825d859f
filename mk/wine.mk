# The Wine test setup (scripts/wine/), shared by every test that runs a Windows program
# here: the DLL's C test (mk/windows.mk), the CLI .exe, Windows Node (mk/windows-tests.mk).
#   $(WINE_READY)  prerequisite of such a test: the prefix build/wine/prefix exists, says
#                  Windows 10, and has the bcryptprimitives.dll shim (test setup only:
#                  Go's runtime needs ProcessPrng, which Wine 8 lacks; never shipped).
#   $(WINE_RUN) PROGRAM.exe ARGS...   runs a program in that prefix, quietly.
# A machine without wine64 fails here with the package to install.
# WINE_READY and WINE_RUN are defined in the Makefile, before the fragments: make expands a
# prerequisite list when it reads the rule, and mk/windows*.mk come before this file.
WINE_SETUP_SRC := scripts/wine/setup.sh scripts/wine/find-wine.sh scripts/wine/bcryptprimitives.c

# Creating the prefix takes about 2 minutes once; later runs only check it.
$(WINE_READY): $(WINE_SETUP_SRC) $(ZIG_STAMP)
	scripts/wine/setup.sh $(BUILD)
