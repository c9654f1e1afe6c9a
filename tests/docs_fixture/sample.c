/* A fixture for docs-check's line references (tests/docs_fixture/README.md); never compiled. */
static int counter;

static void increment(void)
{
    counter++;
}
