int main()
{
	for (volatile unsigned long i = 0;; i++)
		;
}
