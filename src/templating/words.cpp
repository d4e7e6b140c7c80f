// The word list behind {{ random.word }}: 589 short, common, lowercase English words, fixed in the
// binary so a seeded run renders the same bytes on every machine (no dictionary file to differ).
#include <string_view>

#include "templating/template.h"

namespace surge::templating {
namespace {

constexpr std::string_view kWords[] = {
    "able",   "about",    "above",   "across",  "act",      "add",      "after",   "again",   "age",
    "ago",    "agree",    "air",     "all",     "allow",    "also",     "always",  "among",   "and",
    "animal", "answer",   "any",     "appear",  "apple",    "area",     "arm",     "around",  "art",
    "ask",    "away",     "baby",    "back",    "bad",      "bag",      "ball",    "bank",    "base",
    "be",     "bear",     "beat",    "beauty",  "bed",      "before",   "begin",   "behind",  "bell",
    "best",   "better",   "between", "big",     "bird",     "black",    "blood",   "blue",    "board",
    "boat",   "body",     "bone",    "book",    "born",     "both",     "bottom",  "box",     "boy",
    "bread",  "break",    "bright",  "bring",   "brother",  "brown",    "build",   "burn",    "busy",
    "buy",    "call",     "came",    "camp",    "can",      "car",      "care",    "carry",   "case",
    "cat",    "catch",    "cause",   "cell",    "center",   "chair",    "chance",  "change",  "charge",
    "check",  "child",    "city",    "class",   "clean",    "clear",    "climb",   "clock",   "close",
    "cloud",  "coast",    "cold",    "color",   "come",     "common",   "control", "cook",    "cool",
    "corn",   "corner",   "cost",    "count",   "country",  "course",   "cover",   "cow",     "cross",
    "crowd",  "cry",      "cup",     "current", "cut",      "dance",    "dark",    "day",     "dead",
    "deal",   "dear",     "decide",  "deep",    "desert",   "design",   "develop", "dog",     "door",
    "double", "down",     "draw",    "dream",   "dress",    "drink",    "drive",   "drop",    "dry",
    "duck",   "during",   "dust",    "duty",    "each",     "ear",      "early",   "earth",   "east",
    "easy",   "eat",      "edge",    "egg",     "eight",    "end",      "enemy",   "enough",  "enter",
    "equal",  "even",     "event",   "ever",    "every",    "exact",    "example", "eye",     "face",
    "fact",   "fair",     "fall",    "family",  "famous",   "far",      "farm",    "fast",    "father",
    "fear",   "feel",     "field",   "fight",   "figure",   "fill",     "final",   "find",    "fine",
    "finger", "fire",     "first",   "fish",    "five",     "flat",     "floor",   "flow",    "flower",
    "fly",    "follow",   "food",    "foot",    "force",    "forest",   "form",    "forward", "four",
    "free",   "fresh",    "friend",  "front",   "fruit",    "full",     "game",    "garden",  "gas",
    "gather", "gentle",   "gift",    "girl",    "give",     "glad",     "glass",   "gold",    "good",
    "grass",  "gray",     "great",   "green",   "ground",   "group",    "grow",    "guess",   "guide",
    "hair",   "half",     "hand",    "happy",   "hard",     "hat",      "head",    "hear",    "heart",
    "heat",   "heavy",    "help",    "here",    "high",     "hill",     "history", "hold",    "hole",
    "home",   "hope",     "horse",   "hot",     "hour",     "house",    "huge",    "hunt",    "idea",
    "inch",   "iron",     "island",  "join",    "joy",      "judge",    "jump",    "just",    "keep",
    "key",    "kind",     "king",    "kitchen", "knee",     "know",     "lake",    "land",    "large",
    "last",   "late",     "laugh",   "lead",    "learn",    "leave",    "left",    "leg",     "less",
    "letter", "level",    "lift",    "light",   "like",     "line",     "lion",    "list",    "listen",
    "little", "live",     "long",    "look",    "lost",     "loud",     "love",    "low",     "machine",
    "main",   "make",     "man",     "many",    "map",      "mark",     "market",  "matter",  "meat",
    "meet",   "melt",     "metal",   "middle",  "might",    "mile",     "milk",    "mind",    "minute",
    "miss",   "modern",   "moment",  "money",   "month",    "moon",     "morning", "mother",  "mountain",
    "mouth",  "move",     "music",   "name",    "nation",   "near",     "neck",    "need",    "never",
    "new",    "next",     "night",   "nine",    "noise",    "north",    "nose",    "note",    "number",
    "ocean",  "offer",    "office",  "often",   "old",      "open",     "orange",  "order",   "other",
    "page",   "paint",    "paper",   "park",    "part",     "party",    "pass",    "path",    "pay",
    "peace",  "pencil",   "people",  "piece",   "place",    "plain",    "plan",    "plant",   "play",
    "point",  "pool",     "poor",    "post",    "power",    "press",    "pretty",  "price",   "print",
    "proud",  "pull",     "push",    "quick",   "quiet",    "race",     "radio",   "rain",    "reach",
    "read",   "ready",    "real",    "red",     "region",   "remember", "rest",    "rich",    "ride",
    "right",  "ring",     "river",   "road",    "rock",     "roll",     "room",    "root",    "rope",
    "rose",   "round",    "rule",    "run",     "safe",     "sail",     "salt",    "same",    "sand",
    "save",   "say",      "school",  "science", "sea",      "season",   "seat",    "second",  "seed",
    "sell",   "send",     "serve",   "seven",   "shape",    "share",    "sharp",   "sheep",   "shell",
    "ship",   "shoe",     "shop",    "short",   "shout",    "show",     "side",    "sign",    "silver",
    "simple", "sing",     "sister",  "sit",     "six",      "size",     "skin",    "sky",     "sleep",
    "slow",   "small",    "smell",   "smile",   "snow",     "soft",     "soil",    "song",    "soon",
    "sound",  "south",    "space",   "speak",   "special",  "speed",    "spring",  "square",  "stand",
    "star",   "start",    "state",   "station", "stay",     "steel",    "step",    "stick",   "still",
    "stone",  "stop",     "store",   "story",   "straight", "street",   "strong",  "study",   "sugar",
    "summer", "sun",      "supply",  "sure",    "surface",  "sweet",    "swim",    "table",   "tail",
    "take",   "talk",     "tall",    "teach",   "team",     "tell",     "ten",     "test",    "thank",
    "thick",  "thin",     "thing",   "think",   "three",    "throw",    "tie",     "time",    "tiny",
    "today",  "together", "tone",    "tool",    "top",      "touch",    "town",    "track",   "trade",
    "train",  "travel",   "tree",    "trip",    "true",     "try",      "turn",    "twenty",  "two",
    "under",  "unit",     "until",   "use",     "valley",   "value",    "very",    "view",    "village",
    "visit",  "voice",    "wait",    "walk",    "wall",     "warm",     "wash",    "watch",   "water",
    "wave",   "way",      "wear",    "weather", "week",     "weight",   "well",    "west",    "wheel",
    "white",  "whole",    "wide",    "wild",    "win",      "wind",     "window",  "winter",  "wire",
    "wish",   "woman",    "wonder",  "wood",    "word",     "work",     "world",   "write",   "yard",
    "year",   "yellow",   "young",   "zero",
};

}  // namespace

std::span<const std::string_view> builtin_words() { return kWords; }

}  // namespace surge::templating
