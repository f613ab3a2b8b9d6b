"""Demo projects: the starter demo the tests use, and the Huis van Herstel demo `workbench` opens."""
