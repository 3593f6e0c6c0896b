"""Made-up names and phone numbers for the community demo (work unit contacts, members)."""

SURNAMES = "王李张刘亓陈吕杨赵韩孙朱高徐马魏段毕吴周"
GIVEN = "建国立新红梅志强海燕秀英文博晓东丽华春生明亮玉兰德胜"


def person_name(rng) -> str:
    return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))


def phone(rng) -> str:
    return rng.choice(("138", "139", "150", "186", "133")) + f"{rng.randrange(10**8):08d}"
