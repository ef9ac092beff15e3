-- A strict counting loop that never ends (Int wraps only after 2^63 steps).
count :: Int -> Int
count n = if n < 0 then n else count (n + 1)

main :: IO ()
main = print (count 0)
