import Data.Array.ST (newArray, readArray, runSTUArray, writeArray)
import Data.Array.Unboxed (UArray, bounds, (!))
import Data.Word (Word8)

-- 512 MiB unboxed: newArray writes every byte, then one byte per page is
-- changed and all of those are summed, so nothing stays a thunk.
size :: Int
size = 512 * 1024 * 1024

table :: UArray Int Word8
table = runSTUArray $ do
  t <- newArray (0, size - 1) 1
  let go i
        | i >= size = return t
        | otherwise = do
            v <- readArray t i
            writeArray t i (v + 1)
            go (i + 4096)
  go 0

main :: IO ()
main = do
  let (lo, hi) = bounds table
  print (sum [fromIntegral (table ! i) :: Int | i <- [lo, lo + 4096 .. hi]])
