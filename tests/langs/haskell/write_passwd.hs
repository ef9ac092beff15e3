import Control.Exception (IOException, try)

main :: IO ()
main = do
  r <- try (appendFile "/etc/passwd" "") :: IO (Either IOException ())
  putStrLn (either (const "refused") (const "opened") r)
