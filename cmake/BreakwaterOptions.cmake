# One INTERFACE target that every Breakwater target links: the language level, warnings, Qt's
# stricter string and connect rules, and the sanitizers of the preset in use.
add_library(breakwater_options INTERFACE)
target_compile_features(breakwater_options INTERFACE cxx_std_20)
set(CMAKE_CXX_EXTENSIONS OFF)

target_compile_options(breakwater_options INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual
    -Wcast-align -Wnull-dereference -Wimplicit-fallthrough)
if(BREAKWATER_WERROR)
    target_compile_options(breakwater_options INTERFACE -Werror)
endif()

target_compile_definitions(breakwater_options INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CONTEXTLESS_CONNECT
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_NO_URL_CAST_FROM_STRING
    QT_USE_QSTRINGBUILDER)

if(BREAKWATER_SANITIZE)
    set(sanitize_flags -fsanitize=${BREAKWATER_SANITIZE} -fno-omit-frame-pointer)
    if(BREAKWATER_SANITIZE MATCHES "undefined")
        # A finding must fail the test, not scroll past in its output.
        list(APPEND sanitize_flags -fno-sanitize-recover=all)
    endif()
    target_compile_options(breakwater_options INTERFACE ${sanitize_flags})
    target_link_options(breakwater_options INTERFACE ${sanitize_flags})
endif()
