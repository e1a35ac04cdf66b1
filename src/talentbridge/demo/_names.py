"""People's names: Korean surnames with their real frequency, given names, and foreign names by nationality."""

from __future__ import annotations

__all__ = [
    "SURNAMES",
    "GIVEN_MALE",
    "GIVEN_FEMALE",
    "SYLLABLE_LATIN",
    "FOREIGN_NAMES",
    "FOREIGN_NATIONALITIES",
]

#: (surname, romanization, share in % of the population, Statistics Korea 2015 census).
SURNAMES: list[tuple[str, str, float]] = [
    ("김", "Kim", 21.5), ("이", "Lee", 14.7), ("박", "Park", 8.4), ("최", "Choi", 4.7), ("정", "Jung", 4.3),
    ("강", "Kang", 2.3), ("조", "Cho", 2.1), ("윤", "Yoon", 2.1), ("장", "Jang", 2.0), ("임", "Lim", 1.7),
    ("한", "Han", 1.5), ("오", "Oh", 1.5), ("서", "Seo", 1.5), ("신", "Shin", 1.5), ("권", "Kwon", 1.4),
    ("황", "Hwang", 1.4), ("안", "Ahn", 1.3), ("송", "Song", 1.3), ("전", "Jeon", 1.1), ("홍", "Hong", 1.1),
    ("유", "Yoo", 1.1), ("고", "Ko", 0.9), ("문", "Moon", 0.9), ("양", "Yang", 0.9), ("손", "Son", 0.9),
    ("배", "Bae", 0.8), ("백", "Baek", 0.7), ("허", "Heo", 0.7), ("남", "Nam", 0.6), ("심", "Shim", 0.5),
    ("노", "Noh", 0.5), ("하", "Ha", 0.5), ("곽", "Kwak", 0.4), ("성", "Sung", 0.4), ("차", "Cha", 0.4),
    ("주", "Joo", 0.4), ("우", "Woo", 0.4), ("구", "Koo", 0.4), ("민", "Min", 0.3), ("류", "Ryu", 0.3),
    ("나", "Na", 0.3), ("진", "Jin", 0.3), ("지", "Ji", 0.3), ("엄", "Eom", 0.3), ("채", "Chae", 0.3),
    ("원", "Won", 0.3), ("천", "Cheon", 0.2), ("방", "Bang", 0.2), ("공", "Kong", 0.2), ("현", "Hyun", 0.2),
]  # fmt: skip

#: Popular given names of the cohorts born 1970-2005 (two syllables).
GIVEN_MALE: list[str] = ["민준", "서준", "도윤", "예준", "시우", "하준", "주원", "지호", "지후", "준서", "준우", "현우", "도현", "지훈", "건우", "우진", "선우", "서진", "민재", "현준", "연우", "유준", "정우", "승우", "승현", "시윤", "준혁", "은우", "지환", "승민", "유찬", "윤우", "민성", "준영", "시후", "진우", "수호", "재윤", "시현", "동현", "태윤", "민우", "재원", "한결", "민규", "성민", "성현", "동훈", "상현", "지성", "준호", "영호", "성훈", "재현", "정훈", "상훈", "민호", "현수", "영수", "성호", "정호", "영진", "상우", "태현", "종현", "우현", "진호", "경민", "병철", "영민", "재훈", "동욱", "승훈", "창민", "형준", "용준", "태호", "기현", "상민"]
GIVEN_FEMALE: list[str] = ["서연", "서윤", "지우", "서현", "민서", "하은", "하윤", "윤서", "지유", "지민", "채원", "지윤", "은서", "수아", "다은", "예은", "수빈", "지아", "소율", "예린", "예원", "지원", "소윤", "유진", "민지", "수민", "지현", "지은", "은지", "혜진", "수진", "미영", "은영", "현정", "지영", "민정", "유나", "가은", "하린", "채은", "선영", "혜원", "주연", "은비", "소영", "나연", "다인", "세영", "아름", "보람", "슬기", "정은", "미진", "경희", "수연", "연주", "은정", "혜린", "가영", "다현"]

#: Revised Romanization of the syllables used above (given names are written as one word, e.g. "Minjun").
SYLLABLE_LATIN: dict[str, str] = {
    "민": "min", "준": "jun", "서": "seo", "도": "do", "윤": "yun", "예": "ye", "시": "si", "우": "u",
    "하": "ha", "주": "ju", "원": "won", "지": "ji", "호": "ho", "후": "hu", "현": "hyeon", "훈": "hun",
    "건": "geon", "진": "jin", "선": "seon", "재": "jae", "연": "yeon", "유": "yu", "정": "jeong",
    "승": "seung", "혁": "hyeok", "은": "eun", "환": "hwan", "성": "seong", "영": "yeong", "찬": "chan",
    "수": "su", "동": "dong", "태": "tae", "한": "han", "결": "gyeol", "규": "gyu", "상": "sang", "채": "chae",
    "아": "a", "다": "da", "빈": "bin", "율": "yul", "린": "rin", "소": "so", "혜": "hye", "미": "mi",
    "나": "na", "가": "ga", "경": "gyeong", "희": "hui", "종": "jong", "병": "byeong", "철": "cheol",
    "기": "gi", "창": "chang", "형": "hyeong", "용": "yong", "욱": "uk", "세": "se", "름": "reum",
    "보": "bo", "람": "ram", "슬": "seul", "비": "bi", "인": "in",
}  # fmt: skip

#: nationality → (share among foreign talent in %, given names male, given names female, family names,
#: family name first?).
FOREIGN_NAMES: dict[str, tuple[float, list[str], list[str], list[str], bool]] = {
    "VN": (22, ["Minh Tuan", "Duc Thang", "Hoang Nam", "Quang Huy", "Van Long", "Thanh Son", "Duc Anh"],
           ["Thu Trang", "Ngoc Linh", "Thi Lan", "Minh Chau", "Thu Ha", "Phuong Anh", "Thanh Huyen"],
           ["Nguyen", "Tran", "Le", "Pham", "Hoang", "Vu", "Dang", "Bui", "Do", "Ho"], True),
    "IN": (18, ["Rahul", "Amit", "Arjun", "Vikram", "Rohan", "Aditya", "Karthik", "Siddharth"],
           ["Priya", "Ananya", "Sneha", "Divya", "Kavya", "Pooja", "Lakshmi", "Meera"],
           ["Sharma", "Patel", "Singh", "Kumar", "Reddy", "Iyer", "Nair", "Gupta", "Das", "Rao"], False),
    "CN": (16, ["Wei", "Hao", "Lei", "Tao", "Jun", "Yang", "Chen", "Bo"],
           ["Na", "Jing", "Min", "Xin", "Fang", "Yan", "Li", "Ying"],
           ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu"], True),
    "UZ": (10, ["Aziz", "Jasur", "Sardor", "Bekzod", "Shakhzod", "Otabek", "Dilshod"],
           ["Dilnoza", "Madina", "Nodira", "Gulnora", "Malika", "Sevara", "Kamola"],
           ["Karimov", "Rashidov", "Yusupov", "Abdullaev", "Ismoilov", "Nazarov", "Tursunov"], False),
    "ID": (8, ["Budi", "Agus", "Rizky", "Andi", "Fajar", "Dimas"],
           ["Siti", "Dewi", "Putri", "Ayu", "Rina", "Indah"],
           ["Santoso", "Pratama", "Hidayat", "Saputra", "Wijaya", "Lestari", "Wulandari"], False),
    "US": (8, ["James", "Michael", "David", "Daniel", "Andrew", "Kevin", "Ryan"],
           ["Emily", "Sarah", "Jessica", "Ashley", "Grace", "Hannah", "Rachel"],
           ["Smith", "Johnson", "Brown", "Garcia", "Miller", "Davis", "Wilson", "Lee"], False),
    "MN": (6, ["Batbayar", "Bold", "Temuulen", "Ganbaatar", "Erdene"],
           ["Enkhjargal", "Saruul", "Oyunchimeg", "Nomin", "Anujin"],
           ["Bat", "Dorj", "Ganbold", "Tserendorj", "Purev"], False),
    "PH": (5, ["Mark", "John Paul", "Carlo", "Miguel", "Joshua"],
           ["Maria", "Kristine", "Angelica", "Patricia", "Camille"],
           ["Santos", "Reyes", "Cruz", "Bautista", "Garcia", "Mendoza"], False),
    "NP": (4, ["Bikash", "Suman", "Prakash", "Rajesh", "Anil"],
           ["Sita", "Anjali", "Sunita", "Pooja", "Srijana"],
           ["Shrestha", "Gurung", "Tamang", "Adhikari", "Thapa", "Karki"], False),
    "FR": (3, ["Thomas", "Nicolas", "Julien", "Antoine"], ["Camille", "Léa", "Chloé", "Manon"],
           ["Martin", "Bernard", "Dubois", "Laurent", "Moreau"], False),
}  # fmt: skip

FOREIGN_NATIONALITIES: list[str] = list(FOREIGN_NAMES)
