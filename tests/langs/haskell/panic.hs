-- An uncaught exception: "panic: Prelude.head: empty list" on stderr, exit 1.
main :: IO ()
main = do
  xs <- map read . words <$> getContents :: IO [Int]
  print (head xs)
