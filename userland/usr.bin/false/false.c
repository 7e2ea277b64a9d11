/* false: return false (exit 1), whatever the arguments. */
int
main(void)
{
	return (1);
}
