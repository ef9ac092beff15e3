public class panic {
    public static void main(String[] args) {
        int[] a = new int[3];
        int i = args.length + 5;
        System.out.println(a[i]);
    }
}
