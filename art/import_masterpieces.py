"""Copy the famous paintings and the Kodak photos the game ships from ../shared into art/.

Run from the repository root:  .venv/bin/python -m art.import_masterpieces

The pictures come from two folders next to the repository, each with its own provenance
table: ../shared/art-candidates/README.md (paintings and photos collected from public GitHub
repositories) and ../shared/eval/README.md (seven more paintings). art/catalogue.toml
records every shipped file's title, artist, year, rights status and source; this script
only records which file each one was made from, what was done to it, and the source
file's SHA-256, so a rerun either makes the same files or says which source changed.

What is done to a source file:
- a file whose long side is at most MAX_SIDE and needs no crop is copied byte for byte
  (no second JPEG generation);
- a crop (a watermark off the bottom edge) or a long side over MAX_SIDE is decoded,
  cropped, resized with Lanczos to MAX_SIDE and saved as JPEG at JPEG_QUALITY, with no
  metadata, so the same Pillow makes the same bytes.

Never imported: the photos in ../shared/eval/content (the evaluation photos; two of them
carry no licence at all), and the candidates listed in DROPPED (see there why).
`--candidates DIR` writes every painting candidate, dropped ones included, to DIR: that is
what art/check_masterpieces.py ran both engines on before the choice was made.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

ART_DIR = Path(__file__).resolve().parent
DEFAULT_SHARED = ART_DIR.parent.parent / "shared"
MAX_SIDE = 768
JPEG_QUALITY = 90
MAX_BYTES = 400_000


@dataclass(frozen=True)
class Source:
    id: str            # catalogue id and file stem
    kind: str          # "content" | "style"
    path: str          # relative to ../shared
    sha256: str        # of the source file as it was imported
    # (left, top, right, bottom) in source pixels; None keeps the whole picture.
    crop: tuple[int, int, int, int] | None = None
    dithered: bool = False   # a 16-colour Art Breaker 3000 rendering, not a true-colour scan

    @property
    def target(self) -> str:
        folder = "content" if self.kind == "content" else "styles"
        return f"{folder}/{self.id}.jpg"


def _painting(id_: str, path: str, sha: str, **more) -> Source:
    return Source(id_, "style", path, sha, **more)


def _kodak(number: str, sha: str) -> Source:
    return Source(f"kodak_kodim{number}", "content",
                  f"art-candidates/content/kodak_kodim{number}.jpg", sha)


_CANDIDATES = "art-candidates/styles/"
_EVAL = "eval/styles/"
# The rawpixel mark sits at x 25-102, y 597-621 of these two 800x631 scans (found by its
# near-white pixels); cutting the bottom 43 rows takes it off with a 5-px margin and leaves
# the rest of the painting, Van Gogh's signature included, untouched.
_RAWPIXEL_CROP = (0, 0, 800, 588)

PAINTINGS: tuple[Source, ...] = (
    # The seven true-colour paintings of ../shared/eval (long side <= 768: copied as they are).
    _painting("vangogh_starry_night", _EVAL + "starry_night.jpg",
              "f27637bf8eb342cd1f88e74b0c27c6830e1a82ec4c1f3fb2415f5f5fc74c5d9f"),
    _painting("hokusai_great_wave", _EVAL + "great_wave.jpg",
              "57c10101a080a03147ba270504499bab9a3bf218c461efd50a0a4f46982effdf"),
    _painting("munch_the_scream", _EVAL + "the_scream.jpg",
              "c6bf06da96241a35464be603102050815be99568cc1148d2a01006ad0a587aa6"),
    _painting("turner_shipwreck", _EVAL + "shipwreck.jpg",
              "5bad299a2a4b6d3f87680650c68c6802132b0f5c0d353acff94e19cc81c0cb44"),
    _painting("kandinsky_composition_vii", _EVAL + "composition_vii.jpg",
              "c3156a554227e2622ef29cb4efbe51d7da1c39e1d1299a1f109e02f14b826007"),
    _painting("monet_charing_cross_bridge", _EVAL + "monet_charing_cross_bridge.jpg",
              "b446f741ab5ddeec0c025631d401ce61c05081289f8502f70c8f8ff52eb0a900"),
    _painting("toulouse_lautrec_in_bed", _EVAL + "toulouse_lautrec_in_bed.jpg",
              "07735fef6a95b9355b772728dbc436dd3be89d3598173eedbc674b103294cc63"),
    # The nine true-colour candidates.
    _painting("vangogh_night_cafe", _CANDIDATES + "vangogh_night_cafe.jpg",
              "0353fdad65b2655d108cd162ddc1ca456e6978ebf79d9f4c5885414736427e61",
              crop=_RAWPIXEL_CROP),
    _painting("vangogh_olive_trees", _CANDIDATES + "vangogh_olive_trees.jpg",
              "56973d4ac1a63316d7b70637ddb6a1c33fb9055ddc68763889eae48b14f30e8a",
              crop=_RAWPIXEL_CROP),
    _painting("vangogh_self_portrait_straw_hat",
              _CANDIDATES + "vangogh_self_portrait_straw_hat.jpg",
              "c5ed8e28ed409dd5799f99e28050cf8feba2eb6c4cb7db97f0407dfa37ef601b"),
    _painting("vangogh_wheat_field_cypresses", _CANDIDATES + "vangogh_wheat_field_cypresses.jpg",
              "4d60f1e6282d928178aefd1e2d6db77837e70b7c52ef5921c6b50c13c6c20c15"),
    _painting("gauguin_three_tahitian_women", _CANDIDATES + "gauguin_three_tahitian_women.jpg",
              "16fafeece45a1685079300a2ea872daffaf614f4130753c6ff7e6e157553aec6"),
    _painting("picabia_edtaonisl", _CANDIDATES + "picabia_edtaonisl.jpg",
              "fac1d386e717d8e898ea40bf0ba3d333133cfe09aeaa02faea2cf97b6be9fda6"),
    _painting("picabia_udnie", _CANDIDATES + "picabia_udnie.jpg",
              "5b0552f94c69fcc6f91c27d9a430c28929b53608d42033f1973f01e84e7af7d8"),
    _painting("monet_water_lilies", _CANDIDATES + "monet_water_lilies_1919.jpg",
              "bdcbc582ea128e349ea0f4a02e549d9de7499d51b6f7c8d41ba82cc90b812579"),
    _painting("delaunay_portrait_of_metzinger",
              _CANDIDATES + "delaunay_portrait_of_metzinger.jpg",
              "2b549d4dd48a87bb7dce5ac6b401e045c937785d726582a35bca9e7c4eaaaaab"),
)

# The twelve 16-colour dithered renderings (beefoo/art-breaker-3000). Each was checked with
# both engines like the rest (docs/art.md); DROPPED says which did not keep their style.
DITHERED: tuple[Source, ...] = tuple(
    _painting(id_, _CANDIDATES + name, sha, dithered=True) for id_, name, sha in (
        ("seurat_circus_sideshow", "seurat_circus_sideshow.jpg",
         "196805e9f430f4c06e6f1b2ec3b7360d00346f4f612734a6b92181ed60e30142"),
        ("cross_pink_cloud", "cross_pink_cloud.jpg",
         "b77c84ed0310a96b3d8b080a7a5d8a26bb8cc5716ca23ed933971a377f24d4d9"),
        ("klimt_mada_primavesi", "klimt_mada_primavesi.jpg",
         "bb9e9a49e5ebf07b6a7756f8db1d79ab02773e36d66309cf9e5aa5dc674c66c8"),
        ("gris_glass_and_checkerboard", "gris_glass_and_checkerboard.jpg",
         "5619fd2cbbbf10ad1c84332d0294f0eeb7dfe05dab96c4c8b6af0af47ffb3f10"),
        ("kandinsky_landscape_two_poplars", "kandinsky_landscape_two_poplars.jpg",
         "1559c24b08b10563f2c20ed20473485f3e789a83bbeb02a603e50f6ea9604e08"),
        ("marc_bewitched_mill", "marc_bewitched_mill.jpg",
         "f3af331a33b854617111817f9b7bf19da227ccf319d1c8cfa8a64df3bce943a2"),
        ("rousseau_equatorial_jungle", "rousseau_equatorial_jungle.jpg",
         "9855faaadf5b23b2f5a8cc1bdad93d77538e2b4f4d7d39db7b68df62ad74e2da"),
        ("sharaku_bando_mitsugoro", "sharaku_bando_mitsugoro.jpg",
         "6cacc5339f9a0c64db4cf45bddea1c75f92442db9af9cff83677703f5e96a309"),
        ("korin_rough_waves", "korin_rough_waves.jpg",
         "0009570f9d54279584181dec79e1e0aed2036293a64c608f9815a3ce9623f7a8"),
        ("cezanne_madame_cezanne_yellow_chair", "cezanne_madame_cezanne_yellow_chair.jpg",
         "9994c25f696c31edd14f05c7b5fd8091ad925769ffe58aba1f2073735965977b"),
        ("vermeer_study_young_woman", "vermeer_study_young_woman.jpg",
         "7c110fd3fccde46ed9f5339f99a29dd8bfad1f596bf30366a044f0f535c57601"),
        ("monet_woman_with_parasol", "monet_woman_with_parasol.jpg",
         "c30dcc377da79367b115116829a8e5f2b8b5356c4a88d85a74fcb30a7feca003"),
    ))

# Candidates the engine check (docs/art.md) turned down, with the reason. All are 16-colour
# renderings: the dithering kept each painting's palette but wiped out the brushwork that
# is its style, so both engines gave back little more than a colour cast.
_TINT = "both engines give only a colour cast of the photo"
DROPPED: dict[str, str] = {
    "seurat_circus_sideshow": f"{_TINT}: the dithering replaced Seurat's dots",
    "cross_pink_cloud": f"{_TINT}; Gatys's speckle is the dither pattern, not Cross's dabs",
    "klimt_mada_primavesi": f"{_TINT} (lilac); none of Klimt's patterned surface",
    "rousseau_equatorial_jungle": f"{_TINT} (green); none of the jungle's leaf shapes",
    "sharaku_bando_mitsugoro": f"{_TINT} (sepia), even at 45 s; not a woodblock print",
    "korin_rough_waves": f"{_TINT} (olive); none of the waves' line work",
    "cezanne_madame_cezanne_yellow_chair": f"{_TINT} (muted); none of Cezanne's patches",
    "vermeer_study_young_woman": f"{_TINT}: a darkened photo",
    "monet_woman_with_parasol": f"{_TINT} (pale blue); none of Monet's strokes",
}

# Kodak Lossless True Color Image Suite photos (768x512, copied as they are). Left out of the
# 19 candidates: kodim02 (a door filling the frame: little for a painter to lay out),
# kodim05 (a crowd of helmeted riders: too busy for a 90-second painting), kodim10 and
# kodim11 (a second yacht and a second moored boat beside kodim09 and kodim06), kodim19 (a
# second lighthouse beside kodim21).
PHOTOS: tuple[Source, ...] = (
    _kodak("01", "5c9769d91e5e098e41d4fc16d3fca8763a78ffe72b5d5258021d60a9465906e4"),
    _kodak("03", "32b48597549d521fc17f0d4a0ae16d88adb30893c4f32ecd5a19fb8fb14badd9"),
    _kodak("06", "b98c1a393911a51f4d31640064635ee17abbe0212a9a6aa6450b6228cd54fb42"),
    _kodak("07", "28a460aaba439f08e606910d5acd1627f9db4be3b25e9774272a9184f148cafb"),
    _kodak("08", "80bda1cf8dbfc19fc4bc8dd203bf8e485e0ee14744898998863c3b8ba4127a80"),
    _kodak("09", "a14b3bd5f377ecd5635a122701d5c18686723e3d739f134e6a5ec4057446c433"),
    _kodak("13", "c1ddb3da876a190498c08275e0218a3731e1e8fecfc643674c3c6c0457d34395"),
    _kodak("16", "76d1882de57e37a91c3331dba0b5608524f39466d9e25d852812b42640c588e8"),
    _kodak("17", "11c8b3b57dc3facc8907f66e68f3edb04af62815a9495f333a45971bb934e15a"),
    _kodak("20", "ce24beb6c4e36f6f4a35cd3d604c03b383306bfaf8013f40aa2069338bf82eab"),
    _kodak("21", "2ee078616aa785b05f4ff04d2918a380f9e03d48472b4b2e990e8acf97794079"),
    _kodak("22", "2edc7ff836598788be9c0cc0e90795b04e83b911eef0d1d90f0a2f928523c599"),
    _kodak("23", "5c4d69fe5bde1f13fed7bfc345813660ed413a3497f8ff1c4989b0b97e12fa8f"),
    _kodak("24", "be0a5fea6bb0319ee471ca05a57c4e57ab6a4de5e4ead51e653030d6119bcab3"),
)


def shipped() -> tuple[Source, ...]:
    """Every picture this script writes into art/, paintings first."""
    paintings = [s for s in (*PAINTINGS, *DITHERED) if s.id not in DROPPED]
    return (*paintings, *PHOTOS)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def import_one(source: Source, shared: Path, out_dir: Path) -> Path:
    """Write one picture to out_dir/<target>; ValueError if its source is not the one listed."""
    origin = shared / source.path
    found = sha256(origin)
    if found != source.sha256:
        raise ValueError(f"{origin} has SHA-256 {found}, expected {source.sha256}: "
                         "not the file this catalogue's provenance describes")
    target = out_dir / source.target
    target.parent.mkdir(parents=True, exist_ok=True)
    with Image.open(origin) as image:
        needs_work = source.crop is not None or max(image.size) > MAX_SIDE
        if needs_work:
            picture = image.convert("RGB")
    if not needs_work:
        shutil.copyfile(origin, target)
    else:
        if source.crop is not None:
            picture = picture.crop(source.crop)
        scale = MAX_SIDE / max(picture.size)
        if scale < 1:
            size = (round(picture.width * scale), round(picture.height * scale))
            picture = picture.resize(size, Image.Resampling.LANCZOS)
        picture.save(target, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    size = target.stat().st_size
    if size > MAX_BYTES:
        raise RuntimeError(f"{target} is {size} bytes, over the {MAX_BYTES}-byte budget")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED,
                        help="the shared folder holding art-candidates/ and eval/")
    parser.add_argument("--candidates", type=Path, default=None,
                        help="write every painting candidate (dropped ones too) here instead")
    args = parser.parse_args(argv)
    if args.candidates is not None:
        sources, out_dir = (*PAINTINGS, *DITHERED), args.candidates
    else:
        sources, out_dir = shipped(), ART_DIR
    for source in sources:
        path = import_one(source, args.shared, out_dir)
        print(f"wrote {path} ({path.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
