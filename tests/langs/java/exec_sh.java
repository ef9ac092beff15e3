public class exec_sh {
    public static void main(String[] args) throws Exception {
        Process p = new ProcessBuilder("/bin/sh", "-c", "echo shell").inheritIO().start();
        System.out.println(p.waitFor());
    }
}
