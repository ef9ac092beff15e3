{-# LANGUAGE ForeignFunctionInterface #-}
-- GHC ships no network package: a socket is one foreign call away.
import Foreign.C.Types (CInt (..))

foreign import ccall unsafe "socket" c_socket :: CInt -> CInt -> CInt -> IO CInt

main :: IO ()
main = c_socket 2 1 0 >>= print -- AF_INET, SOCK_STREAM
