import System.Posix.Process (executeFile)

main :: IO ()
main = executeFile "/bin/sh" False ["-c", "echo shell"] Nothing
