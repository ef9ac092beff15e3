// SPDX-License-Identifier: MIT
//
// Alloc - a Java program as a judge runs one: with no argument it prints
// "hello"; with N it allocates and touches N MiB, then prints alloc=N.
public class Alloc {
	public static void main(String[] args) {
		if (args.length == 0) {
			System.out.println("hello");
			return;
		}
		int n = Integer.parseInt(args[0]);
		byte[][] chunks = new byte[n][];
		for (int i = 0; i < n; i++) {
			chunks[i] = new byte[1 << 20];
			for (int j = 0; j < chunks[i].length; j += 4096)
				chunks[i][j] = 1;
		}
		System.out.println("alloc=" + n);
	}
}
